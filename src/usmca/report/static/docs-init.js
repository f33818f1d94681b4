// Starts Swagger UI on /docs. Served by the app as a file (the CSP of /docs allows no inline script).
(function () {
  "use strict";
  window.addEventListener("load", function () {
    window.ui = window.SwaggerUIBundle({
      url: "/openapi.json",
      dom_id: "#swagger-ui",
      deepLinking: false,  // its links inside the summary buttons are nested interactive elements (axe)
      validatorUrl: null,
      presets: [window.SwaggerUIBundle.presets.apis],
      layout: "BaseLayout"
    });
  });
}());
