"""The daily run's old path, kept for one release: chunk and run jobs queued before the app was
arranged by trade (`collections_module.ladder_run.run_chunk`, `.run_job`) still run. The daily run
lives in collection_cases/ladder/."""

from collections_module.collection_cases.ladder.jobs import run_chunk, run_job
