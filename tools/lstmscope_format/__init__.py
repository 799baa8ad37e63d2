"""Helpers shared by the lstmscope Python tools (exporters, golden files):
the safetensors layout, the manifest, and a Python twin of the engine's
tokenizer. Only numpy is required for these; the PyTorch exporter's parts
(torch_modules, graph_model, graph_builder, weight_mapping, module_checks,
export_checks; used by tools/export_pytorch.py) need torch and are not
imported here."""

from . import manifest, safetensors_io, tokenizer
from .manifest import make_manifest, write_model
from .tokenizer import Tokenizer, tokenize

__all__ = ["manifest", "safetensors_io", "tokenizer", "make_manifest", "write_model",
           "Tokenizer", "tokenize"]
