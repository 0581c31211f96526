"""Terminal renderers of the assessment and the course (plain text for the CLI; the engine decides nothing here)."""
