"""Clinical-trial eligibility screening (issue 19; docs/trials.md): trial files, the facts of a case at its
assessment date, and the screening of cases against trials. The screening rule itself is the column kernel
``alsdx.rules.trials``."""
