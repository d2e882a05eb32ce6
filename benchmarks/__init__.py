"""The newsrepair benchmark harness: quality, harm, detection, boilerplate, speed and
time bounds, beside simple baselines and ftfy. Run ``python -m benchmarks --help``
from the project root; see ``benchmarks/README.md``."""
