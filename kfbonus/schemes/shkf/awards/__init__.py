"""SHKF-TC's awards, one module each: pure maths and formula text, no input checking."""
