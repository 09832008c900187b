"""Entity resolution: which registry firm a customs party is."""
