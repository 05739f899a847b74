"""The content check engine: plain Python, no MkDocs import.

It works on text and paths so that the MkDocs hooks, the command line and the
tests run exactly the same rules.
"""
