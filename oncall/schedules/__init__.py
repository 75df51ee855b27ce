"""On-call schedules: rotation maths (``rotations``), effective shifts (``shifts``), writes
(``services``), reads (``selectors``), hours and iCal exports, shift reminders, web pages and API."""
