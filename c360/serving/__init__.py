"""The serving store and what fills and reads it: publish (with the change feed) and the API's reads.

The API reads only this store, never the warehouse: ``publish`` copies each scoring run (scores and
the profile snapshot) into it in one transaction, and the API serves the latest published run.
"""

# the analytics tables join the store's metadata wherever the store is used (migrations compare with it)
from c360.serving import analytics as analytics
