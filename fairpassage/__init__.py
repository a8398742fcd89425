"""Fair Passage: the law on recruitment for Vietnamese workers in Japan, made checkable."""

__version__ = "0.1.0"
