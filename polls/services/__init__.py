"""Every change to a poll is one function in a module here, by subject:
`ballots` (a member's one ballot a poll, shared by every kind), `votes`
(voting and changing a vote), `discussion` (arguments and their
endorsements), `editing` (writing, publishing and closing a poll),
`responses` (the department's response to the result). Callers import the
module they need (`from polls.services import votes`)."""
