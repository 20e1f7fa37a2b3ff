# Filled by later issues (see the issue list); kept so the layout is stable.
