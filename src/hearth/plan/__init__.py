"""Stage 4, plan: the site model → the list of outputs, each with its dependencies.

One module per part of the output: `hub` (the public site), `events`,
`queues`, `newsletter`; the review site and the report plan themselves in
their packages. `build.plan` lists them in the order run. Nothing is
rendered or written here.
"""
