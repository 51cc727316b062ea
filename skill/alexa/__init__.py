"""The Alexa custom skill: thin ask-sdk-core handlers over the engine, and its hosting."""
