# nbgrader reads nbgrader_config.py from the current directory; the configuration itself lives in
# jupyter_config.py (the one configuration of the course), which this file loads.
import os

c = get_config()
load_subconfig(os.path.join(os.path.dirname(os.path.abspath(__file__)), "jupyter_config.py"))
