"""Cases and referral: models."""
