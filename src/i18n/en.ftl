## Rencontre — English

error-internal = Sorry, something went wrong on our side. Try again in a moment; if it keeps happening, tell an organizer.
error-bad-invocation = This command is incomplete. Type it again and pick from the options offered.
error-stale-button = This button is no longer valid. Use `/agenda` to find the event.
error-not-organizer = Only organizers can do that (the organizer role, or the Manage Events permission).
error-not-your-event = You can only edit or cancel the events you created; for the others, ask an organizer.
error-not-admin = Only server admins (Manage Server permission) can configure Rencontre.
error-unknown-event = I can't find the event "{ $text }". Pick it from the list offered as you type, or see `/agenda`.
error-event-gone = This event no longer exists.
error-event-cancelled = This event is cancelled.
error-event-over = This event is over.
error-event-ended = "{ $title }" is already over: it can no longer be edited or cancelled.
error-rsvp-closed = Sign-ups are closed for this event (the deadline has passed). You can still free your seat with "Can't go".
error-restricted = This event is for the { $role } role only.
error-guests-do-not-fit = There aren't enough seats left: you can bring at most { $free ->
    [0] no guests
    [one] one guest
   *[other] { $free } guests
}.
error-party-too-large = This event only has { $capacity ->
    [one] one seat
   *[other] { $capacity } seats
}: you can bring at most { $free ->
    [0] no guests
    [one] one guest
   *[other] { $free } guests
}.
error-check-in-closed = Check-in opens 30 minutes before the start and closes at the end of the event.
error-check-in-not-going = Only members who are going can check in.
error-too-long = { $field }: { $len } characters is too long (at most { $max }). Please shorten it.
error-required = { $field }: this field is required.
error-out-of-range = { $field }: pick a number between { $min } and { $max }.
error-unreadable-date = I could not read `{ $text }`. Try for example `thursday 6pm`, `dec 3 18:30`, `tomorrow 9am` or `2026-12-03 18:30`.
error-date-past = That date has already passed ({ $when }). Give a date in the future.
error-date-too-far = `{ $text }` is too far ahead: at most { $years ->
        [one] one year
       *[other] { $years } years
    } ahead, that is until { $limit }. Check the year.
error-date-weekday-mismatch = { $date } is a { $actual }, not a { $said }. Say which: `{ $said_reading }` or `{ $date_reading }`.
error-date-range-not-here = `{ $text }` is a time range; here, give a single moment, for example `thursday 6pm`.
error-deadline-after-start = The RSVP deadline must come before the event starts.
error-bad-duration = I could not read the duration `{ $text }`. Try `2h`, `90min` or `1h30` (7 days at most).
error-duration-conflict = The time `{ $when }` already lasts { $range }; the duration `{ $duration }` contradicts it. Keep one or the other.
error-capacity-below-taken = { $taken ->
    [one] { $taken } seat is already taken
   *[other] { $taken } seats are already taken
}: the capacity can't go below that.
error-bad-timezone = "{ $zone }" is not a known time zone. Pick one from the list, for example `Europe/Paris`.
error-bad-offsets = I could not read the offsets `{ $text }`. Write for example `24h,1h` (at most 5, at most 14 days).
error-bad-website = That website doesn't look like a valid address. Write for example `coteo.fr` or `https://coteo.fr`.
error-search-empty = Type at least one word to search for (letters or digits).
error-announce-too-late = The time planned for this announcement has passed. Run `/announce` again with a new time.
error-announce-elsewhere = That channel or role is not on this server. Pick a channel and a role from here with `/announce`.
error-announce-form-expired = This form is no longer valid (it expired or was already sent). Run `/announce` again to write your announcement.
error-unknown-poll = I can't find the poll "{ $text }". Pick it from the list offered as you type.
error-poll-too-few-dates = A poll offers at least two dates, separated by ";", for example `thursday 6:30pm; friday 12pm`.
error-poll-too-many-dates = { $count } dates is too many: { $max } at most. Remove a few.
error-poll-same-date = `{ $first }` and `{ $second }` are the same moment ({ $when }). Keep only one.
error-poll-date-part = Date { $position } (`{ $text }`): { $reason }
error-poll-deadline-after-first = The poll's closing ({ $deadline }) must come before its first date ({ $first }).
error-poll-closed = This poll is closed.
error-poll-no-leading = Nobody has answered yet: choose the date with the `date` option.
error-poll-unknown-date = This poll has no date `{ $text }`. Pick one from the list offered (1 to { $count }).
error-poll-chosen-past = That date has already passed ({ $when }): choose one still to come.

field-title = Title
field-when = Date
field-location = Location
field-description = Description
field-capacity = Capacity
field-guests = Guests
field-note = Note
field-query = Search
field-reason = Reason

button-going = Going
button-maybe = Maybe
button-declined = Can't go
button-check-in = Check in
button-delete-everything = Delete everything
button-cancel = Cancel
button-introduce-yourself = Introduce yourself
button-fix-intro = Fix my introduction

card-when = When
card-where = Where
card-going = Going
card-maybe = Maybe
card-waitlist = Waitlist
card-deadline = RSVP by
card-restricted = Reserved for
card-yours = Your answer
card-cancelled-title = CANCELLED — { $title }
card-cancel-reason = Reason for cancelling: { $reason }
card-footer = Event #{ $id } · answer with the buttons below
card-no-location = place to be announced
card-going-names = Who's going
card-names-more = +{ $count }

rsvp-going = Noted: you're going to "{ $title }"{ $guests ->
    [0] .
    [one] , with one guest.
   *[other] , with { $guests } guests.
}
rsvp-waitlisted = "{ $title }" is full: you're #{ $position } on the waitlist. I'll DM you if a seat frees up.
rsvp-maybe = Noted: maybe for "{ $title }".
rsvp-declined = Noted: you can't go to "{ $title }".
rsvp-mine-going = ✅ you're going
rsvp-mine-maybe = ❔ maybe
rsvp-mine-declined = ❌ not going
rsvp-mine-waitlisted = ⏳ #{ $position } on the waitlist
rsvp-mine-walk-in = 🚶 came without answering
check-in-done = Welcome! You're checked in at "{ $title }".

event-created = Event "{ $title }" created for { $when }. Its card is posted in { $channel }.
event-series-created = Recurring series: { $count ->
    [one] { $count } date created, with its own RSVPs.
   *[other] { $count } dates created, each with its own RSVPs.
}
event-edited = Event "{ $title }" updated; its card is up to date.
event-cancelled = Event "{ $title }" cancelled; attendees have been told.
dm-promoted = Good news: a seat freed up for "{ $title }" ({ $when }). You're going!
dm-event-changed = "{ $title }" has changed: it is now on { $when }, at { $where }.
dm-series-changed = "{ $title }" has changed for { $count ->
    [one] the date
   *[other] the { $count } dates
} you answered: now { $dates }, at { $where }.
dm-event-cancelled = "{ $title }" planned for { $when } is cancelled.
dm-event-cancelled-reason = "{ $title }" planned for { $when } is cancelled. Reason: { $reason }
dm-series-cancelled = "{ $title }" is cancelled for { $count ->
    [one] the date
   *[other] the { $count } dates
} you answered: { $dates }.
dm-series-cancelled-reason = "{ $title }" is cancelled for { $count ->
    [one] the date
   *[other] the { $count } dates
} you answered: { $dates }. Reason: { $reason }
poll-created = Poll "{ $title }" posted in { $channel } ({ $count ->
    [one] { $count } date
   *[other] { $count } dates
}).
poll-card-title = 📊 { $title }
poll-card-how = For each date: ✅ yes, 🤷 if need be; no answer means no. Tap again to take your answer back.
poll-card-deadline = Closes: { $when }
poll-card-chosen = Poll closed. Date chosen: { $when }
poll-card-no-event = Poll closed without a date.
poll-card-footer = Poll #{ $id }
poll-tally = ✅ { $yes } yes · 🤷 { $maybe } if need be
poll-your-answers = Your answers for "{ $title }":
poll-answer-yes = yes
poll-answer-if-need-be = if need be
poll-answer-no = no
poll-closed-done = Poll "{ $title }" closed: the event takes place on { $when }, its card is posted in { $channel }. { $count ->
    [0] Nobody had answered yes or if need be for that date.
    [one] The member who can come is told by DM.
   *[other] The { $count } members who can come are told by DM.
}
dm-poll-closed = The poll "{ $title }" is closed: the event takes place on { $when }. You could come then; answer on its card: { $link }

attendees-title = Attendees — { $title }
attendees-summary = { $when } · seats: { $seats }
attendees-file-name = attendees-{ $id }
attendees-going = Going ({ $count })
attendees-maybe = Maybe ({ $count })
attendees-waitlist = Waitlist ({ $count })
attendees-walk-ins = Came without answering ({ $count })
attendees-declined = Can't go ({ $count })
list-and-more = … and { $count } more
csv-name = Name
csv-user-id = Discord id
csv-status = Answer
csv-guests = Guests
csv-waitlist = Waitlist position
csv-note = Note
csv-responded = Answered at
csv-checked-in = Checked in at

agenda-title-week = Agenda — next 7 days
agenda-title-month = Agenda — next 31 days
agenda-title-all = Agenda — upcoming
agenda-empty = No upcoming events yet.
agenda-line-cancelled = ~~{ $title }~~ (cancelled)
agenda-answer-for = Answer for…
agenda-footer = Page { $page }/{ $pages } · { $total ->
    [one] { $total } result
   *[other] { $total } results
}

intro-form-title = Introduce yourself
intro-label-name = Name
intro-label-organization = Organization and role
intro-label-about = What I do
intro-label-skills = Skills (comma-separated)
intro-label-website = Website
intro-placeholder-name = Jane Doe
intro-placeholder-organization = Coteo, communications officer
intro-placeholder-about = A few lines: what you do, what you are looking for…
intro-placeholder-skills = SEO, broadband, e-commerce
intro-placeholder-website = coteo.fr
intro-saved = Your introduction is saved. Members find it with `/member search`.
intro-draft-kept = What you typed is kept for 30 minutes: tap "Fix my introduction" to reopen the form filled in and fix that.
intro-saved-posted = Your introduction is saved and posted in { $channel }.
intro-card-organization = Organization
intro-card-skills = Skills
intro-card-website = Website
intro-footer = Member: { $user }
intro-button-title = Welcome!
intro-button-text = Introduce yourself to the other members in a few lines: your organization, what you do, your skills.
member-no-intro = { $name } hasn't introduced themselves yet.
member-search-none = No introduction matches "{ $query }".
member-search-title = Members — "{ $query }"

announce-form-title = New announcement
announce-label-title = Title
announce-label-message = Message
announce-posted = Announcement posted in { $channel }.
announce-event-cancelled = Note: "{ $title }" is cancelled. The announcement shows it as cancelled, with its buttons off; if that was not intended, delete it.
announce-scheduled = Announcement scheduled in { $channel } for { $when }.

calendar-name-all = The association's agenda
calendar-name-mine = My events
calendar-file-all = agenda
calendar-file-mine = my-events
calendar-ready = Here is your calendar ({ $count ->
    [0] no events
    [one] { $count } event
   *[other] { $count } events
}): open the file to add it to your calendar app.

privacy-export-done = Here is all the data Rencontre keeps about you.
privacy-delete-confirm = Delete all your data, in every server (introduction, RSVPs to upcoming events, preferences, calendar subscription links)? Past RSVPs are anonymised for the yearly reports. This cannot be undone.
privacy-deleted = Your data has been deleted.
privacy-delete-cancelled = Nothing was deleted: your data stays as it was.

reminders-on = Reminders on: you'll get a DM before the events you're going to.
reminders-off = Reminders off.

setup-title = Rencontre settings
setup-saved = Settings saved.
setup-not-set = not set
setup-on = on
setup-off = off
setup-agenda-channel = Agenda channel
setup-intro-channel = Introductions channel
setup-announce-channel = Announcements channel
setup-organizer-role = Organizer role
setup-timezone = Time zone
setup-language = Language
setup-reminders = Reminders
setup-mirror = Mirror to Discord events
setup-threads = Discussion threads
setup-threads-on = Discussion threads on: each new card posted in { $channel } (or in the channel chosen for the event) gets its thread, where going members are added.
setup-threads-off = Discussion threads off: new cards will not get one; threads already open stay.
setup-threads-missing = Discussion threads not turned on. In { $channel }: { $missing }
    Then run `/setup threads enabled:True` again.
setup-card-names-on = Cards now show the names of who is going (the first 20; never the waitlist).
setup-card-names-off = Cards no longer show the names of who is going.
setup-public = Public agenda (web)
setup-public-on = The agenda is published: { $url } — only events without a role restriction appear, and no member's name. To put it on your website: { $url }embed in an `<iframe>`. To stop: `/setup public enabled:False`.
setup-public-on-no-server = The agenda is published under the address "{ $slug }", but Rencontre's HTTP server is not running: set `RENCONTRE_HTTP` (and `RENCONTRE_PUBLIC_URL`) and restart the bot.
setup-public-off = The agenda is no longer published: its pages now answer "not found".
setup-public-slug-form = "{ $slug }" cannot be an address: use 1 to 40 lowercase letters without accents, digits and hyphens (no hyphen first, last or two in a row), for example `digital-meetups`.
setup-public-slug-reserved = "{ $slug }" is reserved by Rencontre. Pick another address, for example `{ $slug }-club`.
setup-public-slug-taken = The address "{ $slug }" is already another server's. Pick another one, for example `{ $slug }-2`.
setup-channels-none = Pick at least one channel (agenda, introductions or announcements).
setup-intro-button-posted = The "Introduce yourself" button is posted in { $channel }.
setup-intro-button-unpinned = I posted the "Introduce yourself" button in { $channel } but could not pin it: I lack the Pin Messages permission there. Give Rencontre Pin Messages in that channel (Edit Channel → Permissions), then run `/setup intro-button` again — or pin the message yourself.
check-title = What Rencontre can do here
check-intro = For each channel and feature: what I can and cannot do, and how to fix it.
check-all-good = everything needed is allowed.
check-not-set = not set — choose it with `/setup channels`.
check-cannot = I cannot { $what }.
check-fix-channel = Fix: Edit Channel → Permissions → Rencontre, allow { $permissions }.
check-fix-server = Fix: Server Settings → Roles → Rencontre's role, allow { $permissions }.
check-unavailable = I cannot check my permissions from here.
check-view = see the channel
check-send = post messages
check-embed = show cards (embeds)
check-pin = pin the "Introduce yourself" message
check-create-events = create Discord events
check-threads-create = open a thread on event cards
check-threads-send = post in threads and add going members to them
check-files = Attached files
check-attach = attach files (report, CSV lists, calendar)
perm-view-channel = View Channel
perm-send-messages = Send Messages
perm-embed-links = Embed Links
perm-pin-messages = Pin Messages
perm-create-events = Create Events
perm-attach-files = Attach Files
perm-create-public-threads = Create Public Threads
perm-send-in-threads = Send Messages in Threads
language-fr = French
language-en = English

autocomplete-date-past = Already past: { $when }
autocomplete-date-too-far = Too far: at most { $years ->
        [one] one year
       *[other] { $years } years
    } ahead (until { $limit })
autocomplete-date-mismatch = { $date } is a { $actual }: { $reading }?
autocomplete-date-unreadable = I can't read "{ $text }" — try "thursday 6pm"
autocomplete-poll-part = { $position }. { $reading }
autocomplete-poll-part-past = { $position }. already past: { $when }
autocomplete-poll-part-unreadable = { $position }. I can't read "{ $text }" — try "thursday 6pm"
autocomplete-poll-closed = { $title } (closed)
example-date-1 = tomorrow 6:30pm
example-date-2 = thursday 6pm
example-date-3 = in 2 hours

field-year = Year
report-title = Activity report { $year }
report-file-name = report-{ $year }
report-description = Events held in { $year } (cancelled ones excluded), attendance and new members. The details are in the attached files, ready for the general assembly.
report-events-held = Events held
report-total-going = Attendance (guests included)
report-unique-attendees = Distinct people
report-checked-in = Check-ins
report-new-introductions = New introductions
report-polls-held = Date polls closed
report-busiest-month = Busiest month
report-per-event = Per event
report-per-month = Per month
report-date = Date
report-event = Event
report-going = Going
report-maybe = Maybe
report-month = Month
report-events = Events
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

error-guild-only = Rencontre works inside a server: use this command in your association's server.
welcome-text = Welcome { $user }! Introduce yourself to the other members with the button below.
dm-reminder = ⏰ Reminder: "{ $title }" starts { $relative } ({ $when }). Place: { $where }.
error-series-scope = This event repeats: add `scope` — "this date only", "this date and the following ones" or "the whole series".
event-series-edited = Series "{ $title }" updated: { $count ->
    [one] { $count } date changed.
   *[other] { $count } dates changed.
}
event-series-cancelled = Series "{ $title }" cancelled: { $count ->
    [one] { $count } date cancelled
   *[other] { $count } dates cancelled
}, attendees have been told.
error-check-in-member-closed = Organizers can check people in from 30 minutes before the start until { $hours ->
    [one] one hour
   *[other] { $hours } hours
} after the end of the event.
check-in-member-done = { $name } is checked in at "{ $title }".
check-in-member-walk-in = { $name } is checked in at "{ $title }" (came without answering: no seat is taken).
announce-none-pending = No scheduled announcements.
announce-pending-title = Scheduled announcements
announce-pending-number = #{ $id }
announce-pending-footer = To cancel one: `/announce cancel:<number>`
announce-cancelled = Announcement "{ $title }" cancelled: it will not be posted.
error-unknown-announcement = I can't find that scheduled announcement. See the list with `/announce` and its `pending` option.
calendar-link = Subscribe your calendar app (private link, don't share it): { $url }
calendar-link-renewed = New private link (the old one no longer works): { $url }
calendar-links-revoked = { $count ->
    [0] No subscription link was active on this server.
    [one] The server's only subscription link has been cut. Each member gets a new one with `/calendar`.
   *[other] All { $count } subscription links of this server have been cut. Each member gets a new one with `/calendar`.
}
calendar-revoke-all-admins-only = Only server admins (Manage Server permission) can cut everyone's links. To replace your own link, use `new_link`.

## The web agenda's pages (src/http/web).
web-agenda-title = Agenda — { $name }
web-upcoming = Upcoming events
web-none = No upcoming events for now.
web-seats-left = { $count ->
    [0] full
    [one] 1 seat left
   *[other] { $count } seats left
}
web-cancelled = Cancelled
web-past = This event is over.
web-past-mark = Past
web-cancelled-notice = This event is cancelled.
web-cancel-reason = Reason: { $reason }
web-when = When
web-duration = Duration
web-where = Where
web-seats = Seats
web-no-limit = no limit
web-waitlist = Waitlist
web-waitlist-count = { $count ->
    [0] nobody
    [one] 1 person
   *[other] { $count } people
}
web-hours = { $hours ->
    [one] 1 hour
   *[other] { $hours } hours
}
web-hours-minutes = { $hours } h { $minutes } min
web-minutes = { $minutes } min
web-answer-in-discord = Answer on Discord
web-add-to-calendar = Add to my calendar (.ics)
web-subscribe = Subscribe to the agenda (.ics)
web-back = The whole agenda
web-earlier = Earlier
web-later = Later
web-page = Page { $page } of { $pages }
web-times-in = Times in { $zone }.
web-not-found-title = Page not found
web-not-found = This page does not exist, or this agenda is no longer published.
web-published-with = Published with Rencontre
mirror-rsvp-on-card = Answer (and see the seats) on the event's card:
dm-mirror-blocked = I could not publish the event among the server's Discord events: I lack the Create Events permission (since February 2026, Manage Events alone no longer allows it). Mirroring is paused; an admin can give Rencontre's role Create Events (Server Settings → Roles), then run `/setup mirror on` again.
dm-threads-stopped = I could not open the discussion thread of "{ $title }" in { $channel }: I lack the Create Public Threads permission. Threads are turned off; give Rencontre that permission in the channel (Edit Channel → Permissions), then run `/setup threads enabled:True` again.
thread-changed = 📣 "{ $title }" changed: { $when } · 📍 { $where }
thread-cancelled = ❌ "{ $title }" is cancelled.
thread-cancelled-reason = ❌ "{ $title }" is cancelled: { $reason }
setup-mirror-blocked = paused (missing the Create Events permission; see `/setup check`)
report-chart-title = Attendance { $year }
report-chart-going = Seats taken
report-chart-checked-in = Checked in
month-short-1 = Jan
month-short-2 = Feb
month-short-3 = Mar
month-short-4 = Apr
month-short-5 = May
month-short-6 = Jun
month-short-7 = Jul
month-short-8 = Aug
month-short-9 = Sep
month-short-10 = Oct
month-short-11 = Nov
month-short-12 = Dec
