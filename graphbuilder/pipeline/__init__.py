"""A build from inputs to outputs: the extraction cache (incremental.py), identities
across articles (resolve.py), the build and its staged outputs (build.py), merging
sharded builds (merge.py) and scoring against gold annotations (evaluate.py)."""
