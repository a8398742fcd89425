"""Chat channels: LINE, Zalo Official Account and Facebook Messenger, on the same engine."""
