"""What the REST API and the web pages do with patients and visits, written once.

Every function takes the caller (``Principal``) or an object already looked up through it, and scopes by the
caller's clinic: a patient of another clinic is :class:`NotFound`, exactly like one that does not exist, whatever
the caller's role (an admin never crosses clinics). The doors keep what is HTTP: status codes and problem
documents or pages, forms and CSRF, and the audit record (it carries the client's address).
"""
