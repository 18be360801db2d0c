"""Play-by-post adjudication: a tamper-evident game record, verifiable dice, posts.

The scheme (see the README): at game start the umpire publishes an anchor committing to a
chain of turn seeds; players commit to their orders and to nonces; the umpire locks the
turn's rulings sheet before any die can be computed; players reveal nonces; the umpire
reveals the turn seed; every die is HMAC(turn key, roll label) with rejection sampling.
"""
