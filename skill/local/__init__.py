"""Local use on a laptop: speak routines, render them to WAV, and talk to the skill by typing."""
