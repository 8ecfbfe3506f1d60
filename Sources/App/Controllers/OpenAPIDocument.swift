import Foundation

/// The API's OpenAPI 3.1 document, served at `/api/v1/openapi.json`. A test checks that its
/// paths are exactly the server's `/api/v1` routes, and `scripts/test` runs schemathesis against
/// the running server with it: no 5xx, every answer's status, type and body as described here.
enum OpenAPIDocument {
    /// The document, with the feeds the push route takes filled in from ``Feed``.
    static let json: String = text.replacingOccurrences(of: "\"FEEDS\"", with: "[" + Feed.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") + "]")

    private static let text = #"""
{
 "openapi": "3.1.0",
 "info": {
  "title": "EyesOn API",
  "version": "1",
  "description": "The partnership's systems push their feeds, and read the main lists, as JSON. A push token (eyeson token add --agency KEY --feed FEED) pushes one agency's one feed; a read token (eyeson token add --feed read --user EMAIL) reads as that user: the same role, agency, access policy and audit entries as the user signed in. Synthetic examples only."
 },
 "servers": [
  {
   "url": "/"
  }
 ],
 "components": {
  "securitySchemes": {
   "bearerAuth": {
    "type": "http",
    "scheme": "bearer"
   }
  },
  "schemas": {
   "Problem": {
    "type": "object",
    "properties": {
     "error": {
      "type": "string"
     },
     "file": {
      "type": "string"
     },
     "line": {
      "type": "integer"
     },
     "field": {
      "type": "string"
     }
    },
    "required": [
     "error"
    ],
    "description": "What was refused and why; for a file, the file, line and field."
   },
   "BoardChild": {
    "type": "object",
    "properties": {
     "entryId": {
      "type": "string",
      "format": "uuid"
     },
     "childId": {
      "type": "string",
      "format": "uuid"
     },
     "name": {
      "type": "string"
     },
     "dateOfBirth": {
      "type": "string",
      "format": "date"
     },
     "risk": {
      "type": "string",
      "enum": [
       "red",
       "amber",
       "green"
      ]
     },
     "reasons": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "leadAgency": {
      "type": "string"
     },
     "lastSeen": {
      "type": "string",
      "format": "date"
     },
     "lastSeenHow": {
      "type": "string"
     },
     "workingDaysUnseen": {
      "type": "integer"
     },
     "allowedWorkingDays": {
      "type": "integer"
     },
     "overdueBy": {
      "type": "integer"
     },
     "openTasks": {
      "type": "integer"
     }
    },
    "required": [
     "entryId",
     "childId",
     "name",
     "risk",
     "reasons",
     "leadAgency",
     "lastSeenHow",
     "workingDaysUnseen",
     "allowedWorkingDays",
     "overdueBy",
     "openTasks"
    ]
   },
   "Board": {
    "type": "object",
    "properties": {
     "today": {
      "type": "string",
      "format": "date"
     },
     "listed": {
      "type": "integer"
     },
     "children": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/BoardChild"
      }
     }
    },
    "required": [
     "today",
     "listed",
     "children"
    ],
    "description": "Listed children past their policy's limit without being seen, worst first."
   },
   "Entry": {
    "type": "object",
    "properties": {
     "id": {
      "type": "string",
      "format": "uuid"
     },
     "childId": {
      "type": "string",
      "format": "uuid"
     },
     "name": {
      "type": "string"
     },
     "dateOfBirth": {
      "type": "string",
      "format": "date"
     },
     "status": {
      "type": "string",
      "enum": [
       "proposed",
       "agreed",
       "declined",
       "removed"
      ]
     },
     "risk": {
      "type": "string",
      "enum": [
       "red",
       "amber",
       "green"
      ]
     },
     "riskRationale": {
      "type": "string"
     },
     "reasons": {
      "type": "array",
      "items": {
       "type": "string"
      },
      "description": "reason codes; 'other: …' with its words"
     },
     "leadAgency": {
      "type": "string"
     },
     "leadProfessional": {
      "type": "string"
     },
     "reviewDate": {
      "type": "string",
      "format": "date"
     },
     "proposedAt": {
      "type": "string",
      "format": "date-time"
     },
     "agreedAt": {
      "type": "string",
      "format": "date-time"
     },
     "meetingDate": {
      "type": "string",
      "format": "date"
     }
    },
    "required": [
     "id",
     "childId",
     "name",
     "status",
     "risk",
     "riskRationale",
     "reasons",
     "leadAgency",
     "leadProfessional",
     "reviewDate",
     "proposedAt"
    ]
   },
   "List": {
    "type": "object",
    "properties": {
     "status": {
      "type": "string",
      "enum": [
       "agreed",
       "proposed"
      ]
     },
     "entries": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Entry"
      }
     }
    },
    "required": [
     "status",
     "entries"
    ]
   },
   "TaskItem": {
    "type": "object",
    "properties": {
     "id": {
      "type": "string",
      "format": "uuid"
     },
     "childId": {
      "type": "string",
      "format": "uuid"
     },
     "childName": {
      "type": "string"
     },
     "kind": {
      "type": "string"
     },
     "reason": {
      "type": "string"
     },
     "ownerAgency": {
      "type": "string"
     },
     "ownerName": {
      "type": "string"
     },
     "due": {
      "type": "string",
      "format": "date"
     },
     "state": {
      "type": "string",
      "enum": [
       "open",
       "done",
       "escalated",
       "cancelled"
      ]
     },
     "overdue": {
      "type": "boolean"
     }
    },
    "required": [
     "id",
     "childId",
     "childName",
     "kind",
     "reason",
     "ownerAgency",
     "due",
     "state",
     "overdue"
    ]
   },
   "Tasks": {
    "type": "object",
    "properties": {
     "today": {
      "type": "string",
      "format": "date"
     },
     "tasks": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/TaskItem"
      }
     }
    },
    "required": [
     "today",
     "tasks"
    ],
    "description": "The user's agency's outstanding eyes-on tasks."
   },
   "Identifier": {
    "type": "object",
    "properties": {
     "kind": {
      "type": "string"
     },
     "value": {
      "type": "string"
     },
     "agency": {
      "type": "string"
     }
    },
    "required": [
     "kind",
     "value"
    ]
   },
   "Child": {
    "type": "object",
    "properties": {
     "id": {
      "type": "string",
      "format": "uuid"
     },
     "kind": {
      "type": "string",
      "enum": [
       "child",
       "unborn-child",
       "adult"
      ]
     },
     "givenName": {
      "type": "string"
     },
     "familyName": {
      "type": "string"
     },
     "sex": {
      "type": "string",
      "enum": [
       "M",
       "F",
       "U"
      ]
     },
     "dateOfBirth": {
      "type": "string",
      "format": "date"
     },
     "expectedDateOfBirth": {
      "type": "string",
      "format": "date"
     },
     "postcode": {
      "type": "string"
     },
     "address": {
      "type": "string"
     },
     "nhsNumber": {
      "type": "string"
     },
     "upn": {
      "type": "string"
     },
     "identifiers": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Identifier"
      }
     },
     "listEntries": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Entry"
      }
     },
     "tasks": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/TaskItem"
      }
     }
    },
    "required": [
     "id",
     "kind",
     "givenName",
     "familyName",
     "sex",
     "identifiers",
     "listEntries",
     "tasks"
    ]
   },
   "Notice": {
    "type": "object",
    "properties": {
     "id": {
      "type": "string",
      "format": "uuid"
     },
     "reference": {
      "type": "string"
     },
     "occurredOn": {
      "type": "string",
      "format": "date"
     },
     "time": {
      "type": "string",
      "pattern": "^[0-2][0-9]:[0-5][0-9]$"
     },
     "childId": {
      "type": "string",
      "format": "uuid"
     },
     "childName": {
      "type": "string"
     },
     "childDateOfBirth": {
      "type": "string",
      "format": "date"
     },
     "schoolUrn": {
      "type": "integer"
     },
     "addressee": {
      "type": "string"
     },
     "force": {
      "type": "string"
     },
     "dueAt": {
      "type": "string",
      "format": "date-time"
     },
     "status": {
      "type": "string",
      "enum": [
       "due",
       "overdue",
       "acknowledged"
      ]
     },
     "acknowledgedAt": {
      "type": "string",
      "format": "date-time"
     },
     "acknowledgedBy": {
      "type": "string"
     }
    },
    "required": [
     "id",
     "reference",
     "occurredOn",
     "time",
     "childName",
     "addressee",
     "force",
     "dueAt",
     "status"
    ]
   },
   "Notices": {
    "type": "object",
    "properties": {
     "notices": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Notice"
      }
     }
    },
    "required": [
     "notices"
    ]
   },
   "ImportProblem": {
    "type": "object",
    "properties": {
     "line": {
      "type": "integer"
     },
     "field": {
      "type": "string"
     },
     "value": {
      "type": "string"
     },
     "reason": {
      "type": "string"
     }
    },
    "required": [
     "line",
     "field",
     "value",
     "reason"
    ]
   },
   "ImportOutcome": {
    "type": "object",
    "properties": {
     "runID": {
      "type": "string",
      "format": "uuid"
     },
     "feed": {
      "type": "string"
     },
     "file": {
      "type": "string"
     },
     "accepted": {
      "type": "integer"
     },
     "updated": {
      "type": "integer"
     },
     "unchanged": {
      "type": "integer"
     },
     "quarantined": {
      "type": "integer"
     },
     "problems": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/ImportProblem"
      }
     },
     "summary": {
      "type": "string"
     }
    },
    "required": [
     "runID",
     "feed",
     "file",
     "accepted",
     "updated",
     "unchanged",
     "quarantined",
     "problems",
     "summary"
    ],
    "description": "The import's counts and its first quarantined rows (line, field, reason)."
   }
  }
 },
 "paths": {
  "/api/v1/openapi.json": {
   "get": {
    "summary": "This document.",
    "security": [],
    "responses": {
     "200": {
      "description": "The OpenAPI 3.1 document.",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/board": {
   "get": {
    "summary": "The \"not seen\" board.",
    "security": [
     {
      "bearerAuth": []
     }
    ],
    "parameters": [
     {
      "name": "risk",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "enum": [
        "red",
        "amber",
        "green"
       ]
      },
      "description": "Only this risk level."
     },
     {
      "name": "reason",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "enum": [
        "child-protection-plan",
        "child-in-need",
        "looked-after",
        "care-leaver",
        "ehc-plan",
        "sen-support-with-social-worker",
        "marac-household",
        "operation-encompass",
        "repeated-referrals",
        "youth-justice",
        "unborn-or-under-one",
        "recently-closed",
        "missing-episodes",
        "exploitation",
        "other"
       ]
      },
      "description": "Only children listed for this reason."
     },
     {
      "name": "lead",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "uuid"
      },
      "description": "Only entries this agency leads (its id)."
     },
     {
      "name": "school",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer",
       "minimum": 100000,
       "maximum": 999999
      },
      "description": "Only pupils of the school with this URN."
     }
    ],
    "responses": {
     "200": {
      "description": "Listed children not seen within their policy's limit.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Board"
        }
       }
      }
     },
     "401": {
      "description": "No valid token.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token may not read this: a push token, a disabled user, or a role without this page.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "400": {
      "description": "A query parameter is not one of its values; the error names it.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/list": {
   "get": {
    "summary": "The agreed list.",
    "security": [
     {
      "bearerAuth": []
     }
    ],
    "parameters": [
     {
      "name": "status",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "enum": [
        "agreed",
        "proposed"
       ]
      },
      "description": "agreed (the default) or proposed."
     }
    ],
    "responses": {
     "200": {
      "description": "The list's entries the user may see.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/List"
        }
       }
      }
     },
     "401": {
      "description": "No valid token.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token may not read this: a push token, a disabled user, or a role without this page.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "400": {
      "description": "A query parameter is not one of its values; the error names it.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/children/{id}": {
   "get": {
    "summary": "A child's record, with their list entries and tasks. Every read is audited.",
    "security": [
     {
      "bearerAuth": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "format": "uuid"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "The record.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Child"
        }
       }
      }
     },
     "401": {
      "description": "No valid token.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token may not read this: a push token, a disabled user, or a role without this page.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "No such child, or one the user may not see (the same answer).",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/tasks": {
   "get": {
    "summary": "Eyes-on tasks.",
    "security": [
     {
      "bearerAuth": []
     }
    ],
    "parameters": [],
    "responses": {
     "200": {
      "description": "The user's agency's outstanding tasks.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Tasks"
        }
       }
      }
     },
     "401": {
      "description": "No valid token.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token may not read this: a push token, a disabled user, or a role without this page.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/notices": {
   "get": {
    "summary": "Operation Encompass notices.",
    "security": [
     {
      "bearerAuth": []
     }
    ],
    "parameters": [
     {
      "name": "show",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "enum": [
        "open",
        "all"
       ]
      },
      "description": "open: not yet acknowledged only."
     }
    ],
    "responses": {
     "200": {
      "description": "The notices the user may see.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Notices"
        }
       }
      }
     },
     "401": {
      "description": "No valid token.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The token may not read this: a push token, a disabled user, or a role without this page.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "400": {
      "description": "A query parameter is not one of its values; the error names it.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/feeds/{feed}": {
   "post": {
    "summary": "Push a feed's file (one transaction: all of it or, when refused, none).",
    "security": [
     {
      "bearerAuth": []
     }
    ],
    "parameters": [
     {
      "name": "feed",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "enum": "FEEDS"
      }
     },
     {
      "name": "name",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "maxLength": 120
      },
      "description": "The file's name, for the import history."
     },
     {
      "name": "map",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The people feed's column mapping, e.g. id=YOT ref,first_name=Given name,…"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "text/csv": {
       "schema": {
        "type": "string",
        "minLength": 1
       },
       "example": "school_urn,upn,forename,surname,date_of_birth,date,session,code\n910001,H801200001001,Sam,Example,2016-05-04,2026-11-23,AM,/\n"
      },
      "application/xml": {
       "schema": {
        "type": "string",
        "minLength": 1
       }
      },
      "multipart/form-data": {
       "schema": {
        "type": "object",
        "properties": {
         "file[]": {
          "type": "array",
          "items": {
           "type": "string",
           "format": "binary"
          }
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Imported.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ImportOutcome"
        }
       }
      }
     },
     "401": {
      "description": "No valid token.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "400": {
      "description": "The name is longer than 120 characters.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "A token for another feed, a read token, or a school with no URN in EyesOn.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "No such feed.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "Larger than 50 MB.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "The file was refused, with the file, line and field; nothing was imported.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  }
 }
}
"""#
}
