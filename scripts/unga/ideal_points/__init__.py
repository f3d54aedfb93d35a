"""Ideal points: each state's position on one scale, year by year (Bailey, Strezhnev and Voeten
2017), estimated from the votes the warehouse prepares (models/intermediate/
int_ideal_point_votes.sql). The estimator (fit, estimate) is pure numpy and scipy and is called
by the dbt Python model int_ideal_points_estimated; settings holds the model's settings and the
fingerprint that lets an unchanged estimate be reused; compare checks the estimates against
Voeten's published ones.

Nothing is imported here, so that `unga.ideal_points.settings` stays light.
"""
