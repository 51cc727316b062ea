"""The self-hosted skill endpoint: a Flask app with Alexa request verification."""
