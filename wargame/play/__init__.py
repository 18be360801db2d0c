"""The rules of play: the sequence of play, movement and zones of control, stacking, combat
and its results, supply, reinforcements and victory, each read from data. The game record
(``wargame.pbp``) calls these; they call the engine (tables and dice) and the maps."""
