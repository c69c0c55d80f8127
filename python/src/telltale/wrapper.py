"""telltale.monitor: wraps any object with predict / predict_proba so that every call is logged."""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Sequence

from .schema import class_text


class MonitoredModel:
    """Behaves as the wrapped model; predict and predict_proba also log their inputs and outputs
    to the version (asynchronously, never raising into the caller unless the client says so).

    id_fn(X) -> ids gives the prediction ids (needed to join actuals later); by default the
    DataFrame's index is used, and fresh ids for arrays. prediction_name names the logged
    prediction field (default: the version's only prediction field); for predict_proba of a
    binary classifier the positive class's probability is logged. For a multiclass version whose
    schema names its class_probabilities, predict_proba logs each class's probability into its
    field and the most probable class into the first categorical prediction."""

    def __init__(self, model: Any, version: Any, id_fn: Optional[Callable[[Any], Any]] = None,
                 prediction_name: Optional[str] = None, feature_names: Optional[Sequence[str]] = None):
        self.model = model
        self.version = version
        self.id_fn = id_fn
        self.feature_names = feature_names or _names_of(model)
        names = list(version.schema.get("predictions", {}))
        self.prediction_name = prediction_name or (names[0] if len(names) == 1 else "prediction")

    def predict(self, X: Any, *args: Any, **kwargs: Any) -> Any:
        result = self.model.predict(X, *args, **kwargs)
        self._log(X, {self.prediction_name: result})
        return result

    def predict_proba(self, X: Any, *args: Any, **kwargs: Any) -> Any:
        result = self.model.predict_proba(X, *args, **kwargs)
        per_class = self._class_probabilities(result)
        if per_class is not None:
            self._log(X, per_class)
        else:
            binary = getattr(result, "ndim", 1) == 2 and result.shape[1] == 2
            self._log(X, {self.prediction_name: result[:, 1] if binary else result})
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self.model, name)

    def _class_probabilities(self, result: Any) -> Optional[Dict[str, Any]]:
        """The prediction fields of a multiclass version that names its class probabilities, from
        predict_proba's columns (in the model's classes_ order); None for any other version."""
        fields = self.version.schema.get("class_probabilities")
        classes = getattr(self.model, "classes_", None)
        if not fields or classes is None or getattr(result, "ndim", 1) != 2 \
                or result.shape[1] != len(classes):
            return None
        import numpy as np

        names = [class_text(c) for c in classes]
        columns = {fields[name]: result[:, k] for k, name in enumerate(names) if name in fields}
        kinds = self.version.schema.get("predictions", {})
        label = next((f for f, kind in kinds.items() if kind in ("categorical", "boolean")), None)
        if label is not None:
            columns[label] = np.asarray(names, dtype=object)[np.argmax(result, axis=1)]
        return columns

    def _log(self, X: Any, predictions: Dict[str, Any]) -> None:
        import logging

        try:
            ids = self.id_fn(X) if self.id_fn is not None else _index_ids(X)
            self.version.log_predictions(ids, X, predictions, feature_names=self.feature_names)
        except Exception:
            if self.version.model.client.raise_errors:
                raise
            logging.getLogger("telltale").exception("telltale: could not log a prediction batch")


def monitor(model: Any, version: Any, id_fn: Optional[Callable[[Any], Any]] = None, *,
            prediction_name: Optional[str] = None,
            feature_names: Optional[Sequence[str]] = None) -> MonitoredModel:
    """Wraps `model` (a scikit-learn estimator or pipeline, or anything with predict) so that its
    predictions are logged to `version`."""
    return MonitoredModel(model, version, id_fn, prediction_name, feature_names)


def _names_of(model: Any) -> Optional[Sequence[str]]:
    names = getattr(model, "feature_names_in_", None)
    return [str(n) for n in names] if names is not None else None


def _index_ids(X: Any) -> Any:
    try:
        import pandas as pd
    except ImportError:
        return None
    if isinstance(X, pd.DataFrame) and not isinstance(X.index, pd.RangeIndex):
        return X.index.astype(str)
    return None
