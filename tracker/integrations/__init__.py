"""Integration requests ("soccorso istruttorio"): the committee's dated question, the lead
partner's reply with its documents, and the concept note's version at each (re)submission."""
