"""Claims: the claim language, text extraction, evaluation and verdicts."""
