"""Build-time and command-line checks for the knowledge base."""
