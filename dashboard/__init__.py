"""The Customer 360 dashboard: a Streamlit app that reads the REST API through the generated SDK, and nothing else."""
