<map version="freeplane 1.12.1">
<node TEXT="r"><hook NAME="MapStyle"><map_styles><stylenode LOCALIZED_TEXT="default"/></map_styles></hook>
<node TEXT=""><hook NAME="FirstGroupNode"/></node>
<node TEXT="a"/><node><richcontent TYPE="NODE"><html><body><p>rich <b>b</b>&#160;x</p><pre>  pre
 text</pre><ul><li>one</li></ul></body></html></richcontent></node>
<node TEXT=""><hook NAME="SummaryNode"/><node TEXT="sum"/></node>
<node TEXT="d"><richcontent TYPE="DETAILS"><html><body><p>details</p></body></html></richcontent>
<richcontent TYPE="NOTE" CONTENT-TYPE="plain/text"><text>plain</text></richcontent></node>
</node>
</map>
