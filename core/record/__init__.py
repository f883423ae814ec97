"""The clerk's record of the meeting: commentary (点评), questions (询问) and the
clerk's unsaved drafts."""
