"""telltale: log a model's predictions, baselines and ground truth to a telltale server, query
drift and metrics back as DataFrames, and profile data locally so that only statistics leave.

    import telltale
    client = telltale.Client("http://localhost:8080", token="...")
    model = client.create_model("churn", task="binary_classification")
    version = model.create_version("v1", schema=telltale.infer_schema(X_train, predictions=y_score))
    version.log_predictions(ids, X, y_score)

See python/README.md for the whole API.
"""
from .client import Client, Model, Version
from .errors import (ApiError, AuthenticationError, ConflictError, NotFoundError, PermissionDeniedError,
                     QueueFullError, RateLimitedError, RowsRejectedError, ServerError, TelltaleError,
                     TransportError, ValidationError)
from .profiling import Profile, profile
from .schema import Segment, infer_schema
from .wrapper import MonitoredModel, monitor

__version__ = "0.1.0"

__all__ = [
    "ApiError", "AuthenticationError", "Client", "ConflictError", "Model", "MonitoredModel",
    "NotFoundError", "PermissionDeniedError", "Profile", "QueueFullError", "RateLimitedError",
    "RowsRejectedError", "Segment", "ServerError", "TelltaleError", "TransportError",
    "ValidationError", "Version", "infer_schema", "monitor", "profile",
]
