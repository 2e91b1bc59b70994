"""Indexes of what a workspace declares and provides: Simple declarations and native symbols."""
