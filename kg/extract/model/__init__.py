"""The weights of the learned mention finder (kg.extract.tagger), as
scripts/train_tagger.py writes them."""
