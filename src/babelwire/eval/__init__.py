"""Evaluation metrics and helpers for scoring babelwire's output against gold files."""

from babelwire.eval.metrics import adjusted_rand_index, bcubed, pearson, roc_auc

__all__ = ["adjusted_rand_index", "bcubed", "pearson", "roc_auc"]
