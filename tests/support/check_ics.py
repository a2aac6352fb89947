"""Strictly parses every .ics file given on the command line with the Python
`icalendar` package and checks RFC 5545 essentials the editorial feed must
meet: CRLF line ends, lines of at most 75 octets, VERSION and PRODID, and for
every VEVENT exactly one UID, DTSTAMP, DTSTART and a DTEND after DTSTART.
Exits 3 with a clear message when `icalendar` is not installed."""
import sys

try:
    import icalendar
except ImportError:
    print("MISSING: the Python package `icalendar` is required (pip install icalendar)")
    sys.exit(3)

problems = []
events = 0
for path in sys.argv[1:]:
    raw = open(path, "rb").read()
    lines = raw.split(b"\r\n")
    if lines[-1] != b"":
        problems.append(f"{path}: does not end with CRLF")
    for n, line in enumerate(lines[:-1], 1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"{path}:{n}: bare LF or CR")
        if len(line) > 75:
            problems.append(f"{path}:{n}: line is {len(line)} octets (> 75)")
    try:
        cal = icalendar.Calendar.from_ical(raw.decode("utf-8"))
    except Exception as e:  # noqa: BLE001 - report any parser failure
        problems.append(f"{path}: does not parse: {e}")
        continue
    for key in ("VERSION", "PRODID"):
        if key not in cal:
            problems.append(f"{path}: VCALENDAR lacks {key}")
    for comp in cal.walk():
        if getattr(comp, "errors", None):
            problems.append(f"{path}: {comp.name} has parse errors: {comp.errors}")
    for ev in cal.walk("VEVENT"):
        events += 1
        uid = ev.get("UID")
        for key in ("UID", "DTSTAMP", "DTSTART", "DTEND"):
            if key not in ev:
                problems.append(f"{path}: VEVENT {uid} lacks {key}")
        if "DTSTART" in ev and "DTEND" in ev:
            start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
            if type(start) is not type(end) or not end > start:
                problems.append(f"{path}: VEVENT {uid}: DTEND {end} is not after DTSTART {start}")
for p in problems:
    print(p)
print(f"checked {len(sys.argv) - 1} file(s), {events} event(s), {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
