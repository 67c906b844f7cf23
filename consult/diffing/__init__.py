"""Pure comparison of texts and plan versions: plain text in, structured changes out (no Flask, no DB)."""
from consult.diffing.text import diff_text

__all__ = ["diff_text"]
