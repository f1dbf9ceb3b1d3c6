"""Corpus scale: batch many reports into a store, link units across years."""
from .batch import BatchStats, iter_inputs, run_batch
from .store import Store
from .units import load_mapping, normalise_unit

__all__ = ["run_batch", "BatchStats", "iter_inputs", "Store", "normalise_unit", "load_mapping"]
