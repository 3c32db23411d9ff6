"""The churn model: training set, classifier with its deploy gate, daily scoring with drivers, backtests.

* ``features``  the model's inputs, read from the tables the snapshot SQL fills
* ``train``     LightGBM + Platt scaling, test metrics on the latest snapshots
* ``artifact``  the versioned model file and its checksum
* ``registry``  CHURN_MODEL_REGISTRY: the deploy gate and the current model
* ``drivers``   exact per-subscriber SHAP values, fast enough for every score
* ``score``     FCT_CUSTOMER_HEALTH_SCORES for a day, with tiers and drivers
* ``monitor``   drift (PSI) and score distribution of each scoring run
* ``backtest``  a past day scored and compared with what happened (and the generator's oracle)
* ``procedures`` the DuckDB implementations of the Snowflake ML procedures

Training and scoring run as the procedures SFE_TRAIN_CHURN_CLASSIFIER and SFE_SCORE_CHURN on both
targets: Snowflake ML on Snowflake, this package on the embedded DuckDB warehouse.
"""
