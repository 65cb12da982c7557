"""Hearth: one git repository of plain files -> community hub, channel queues, editorial calendar."""
