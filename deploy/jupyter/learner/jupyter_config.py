# Jupyter and nbgrader settings for a learner's server on the company JupyterHub: the Assignments tab fetches
# from and submits to the shared exchange. Loaded through JUPYTER_CONFIG_PATH (the hub sets it for learners:
# ../../jupyterhub_config.py).
import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = os.environ.get("LEPTON_COURSE_ID", "lepton-training")
c.Exchange.root = os.environ.get("LEPTON_EXCHANGE", "/srv/nbgrader/exchange")
# Assignments are fetched into the learner's home (this file outranks any course configuration installed with
# the package: JUPYTER_CONFIG_PATH comes first on the config path).
c.CourseDirectory.root = os.environ.get("HOME", os.getcwd())
# The hub's user name is the learner's id in the gradebook (and not the OS account, which may be shared).
if os.environ.get("JUPYTERHUB_USER"):
    c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]
