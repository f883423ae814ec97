"""The meeting: its definition (the meeting file), the agenda and its timers, where
it stands, and the podium's rules. Plain data and pure functions, plus
`MeetingStore`, the meeting as its database holds it."""
