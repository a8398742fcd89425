"""Cases and referral."""
