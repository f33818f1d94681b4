"""Rendering check reports: terminal, Markdown, JSON and self-contained HTML with charts."""
