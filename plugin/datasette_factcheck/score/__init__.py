"""Score: check-worthiness (features, the shipped model, fitting), editorial priority and the
newsroom's own learning.

Rule: may import extract/; never store/ or above. Training code is reached only by the train command.
"""
