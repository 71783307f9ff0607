# ruleid: import-patterns
import telnetlib
# ruleid: import-patterns
import os, telnetlib
# ruleid: import-patterns
import telnetlib.sub
# ruleid: import-patterns
from xml.etree import ElementTree
# ruleid: import-patterns
from xml.etree import ElementTree as ET, Element
# ruleid: import-patterns
import xml.etree.ElementTree as ET2
# ok: import-patterns
import telnetlib2
# ok: import-patterns
from xml.etree import cElementTree
# ok: import-patterns
import xml.etree
