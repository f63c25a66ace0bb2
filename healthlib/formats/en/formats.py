# English dates on readers' pages and handouts: "November 24, 2026" (Django's
# own English DATE_FORMAT abbreviates the month: "Nov. 24, 2026").
DATE_FORMAT = "F j, Y"
