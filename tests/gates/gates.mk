# Quality gates (issue #5): included from the Makefile.  Targets are added
# here so that the main Makefile stays short.
