"""Explanations per topic: kernel outputs -> output models and sentences. They select rows and look up text;
they never decide (docs/architecture.md, "engine")."""
