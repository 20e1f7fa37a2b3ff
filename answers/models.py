# Filled by the pipeline issue (see the issue list).
