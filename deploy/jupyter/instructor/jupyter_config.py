# Jupyter and nbgrader settings for an instructor's server on the company JupyterHub: Formgrader, release,
# collect and autograde on the course checkout, with the shared exchange and the PostgreSQL gradebook. Loaded
# through JUPYTER_CONFIG_PATH.
import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = os.environ.get("LEPTON_COURSE_ID", "lepton-training")
c.Exchange.root = os.environ.get("LEPTON_EXCHANGE", "/srv/nbgrader/exchange")
# The instructor's checkout of the course repository (solutions/, course/, jupyter_config.py).
c.CourseDirectory.root = os.environ.get(
    "LEPTON_COURSE_ROOT", os.path.join(os.environ.get("HOME", "."), "lepton-training")
)
if os.environ.get("LEPTON_GRADEBOOK_URL"):
    # postgresql+psycopg://grader:<password>@<host>:5432/gradebook (spell out +psycopg)
    c.CourseDirectory.db_url = os.environ["LEPTON_GRADEBOOK_URL"]
# Several instructors, or one OS account for everyone: collect whatever the exchange holds. The option belongs to
# the exchange's collector since nbgrader 0.7 (CollectApp.check_owner is not an option any more and is ignored).
c.ExchangeCollect.check_owner = False
# The Formgrader's Autograde button runs `lepton-training grade` (sandboxed) instead of stock nbgrader autograde:
# the server extension lepton_training.grading.formgrader, switched on in jupyter_server_config.json beside this.
