"""Language identification, segmentation, entities, linking, quotes and time expressions."""
