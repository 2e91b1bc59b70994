"""Workspace: file discovery and settings."""
